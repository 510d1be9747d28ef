import { z } from 'zod';

// Names shared by the operations views (sync queue, statistics) and the
// resolvers that serve them.

export const QueueDirection = z.enum(['outgoing', 'incoming']);
export type QueueDirection = z.infer<typeof QueueDirection>;

export const QueueKind = z.enum(['issue', 'attachment']);
export type QueueKind = z.infer<typeof QueueKind>;

export const StatisticsPeriod = z.enum(['day', 'week', 'month', 'quarter']);
export type StatisticsPeriod = z.infer<typeof StatisticsPeriod>;
