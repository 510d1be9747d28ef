import type { AnswerOf } from '../../api';

export type ListProjectsAnswer = AnswerOf<'listProjects'>;
export type InstanceAnswer = AnswerOf<'getInstance'>;
