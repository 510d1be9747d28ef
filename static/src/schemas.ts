// The shapes the UI works with, taken from the resolver contract the server
// answers by (src/contract/), so there is one definition of each. Types only:
// the client in api.ts holds the schemas that check the answers at run time.
import type { z } from 'zod';
import type * as A from '../../src/contract/answers';
import type * as Domain from '../../src/domain/connection';
import type * as Visual from '../../src/domain/visual-mapping';
import type * as Names from '../../src/domain/name-references';

export type { QueueDirection, QueueKind, StatisticsPeriod } from '../../src/domain/operations';

export type Instance = z.output<typeof A.Instance>;
export type ConnectionMode = Domain.ConnectionMode;
export type ConnectionKind = Domain.ConnectionKind;
/** As the Connections table shows it: Pending, Active, Deactivated, Error. */
export type ConnectionStatus = Domain.ConnectionStatus;
export type Connection = z.output<typeof A.Connection>;
export type LastSync = Domain.LastSync;
export type InitiateConnectionResult = z.output<typeof A.InitiateConnectionResult>;
export type Project = z.output<typeof A.Project>;
export type Trigger = z.output<typeof A.Trigger>;
export type Job = z.output<typeof A.Job>;
export type SyncError = z.output<typeof A.SyncError>;
export type QueueItem = z.output<typeof A.QueueItem>;
export type Twin = z.output<typeof A.Twin>;
export type IssueSyncStatus = z.output<typeof A.IssueSyncStatusResult>;
export type HistoryEntry = z.output<typeof A.HistoryEntry>;
export type Rules = z.output<typeof A.Rules>;
export type TestRulesResult = z.output<typeof A.TestRulesResult>;
export type StatisticsBucket = z.output<typeof A.StatisticsBucket>;
export type ConnectionStatistics = z.output<typeof A.ConnectionStatistics>;
export type ConnectionHealth = z.output<typeof A.ConnectionHealth>;
export type Statistics = z.output<typeof A.StatisticsResult>;
export type GetMappingResult = z.output<typeof A.GetMappingResult>;

// Visual mode: the mapping document, as src/domain/visual-mapping.ts defines it.
export type VisualSide = Visual.VisualSide;
export type SyncMethod = Visual.SyncMethod;
export type MappingDirection = Visual.MappingDirection;
export type ScopeFilter = Visual.ScopeFilter;
export type IfNoMatch = Visual.IfNoMatch;
export type FieldMapping = Visual.FieldMapping;
export type VisualMapping = Visual.VisualMapping;
export type NameWarning = Names.NameWarning;
export type JiraValues = z.output<typeof A.JiraValues>;
export type UserChoice = z.output<typeof A.UserChoice>;
