import { describe, expect, it } from 'vitest';
import { historyChanges } from '../../src/sync/outgoing';
import type { Replica } from '../../src/domain/replica';

const first = { id: '10006', key: 'UD-6', url: 'https://blue.example/browse/UD-6', summary: 'Printer on fire', labels: [], description: null, comments: [], customFields: {}, customKeys: {} } as Replica;

describe('the sync history of a sent replica', () => {
  it('lists on a first send what the issue carries, not its id, key, link or empty fields', () => {
    expect(historyChanges(null, first).map((c) => [c.field, c.to])).toEqual([['summary', 'Printer on fire']]);
  });

  it('lists a field emptied later, and never the identity fields', () => {
    const next = { ...first, key: 'UD-7', summary: '', labels: ['ops'] } as Replica;
    expect(historyChanges(first, next).map((c) => c.field).sort()).toEqual(['labels', 'summary']);
  });
});
