import { request } from '../../../api/http';

/** Types and calls of care campaigns (server: care/campaign*.ts). */
export type QuestionType = 'single' | 'multiple' | 'scale' | 'yes_no' | 'text';
export const QUESTION_TYPES: readonly QuestionType[] = ['single', 'multiple', 'scale', 'yes_no', 'text'];
export interface Question {
  id: string;
  type: QuestionType;
  label: string;
  required: boolean;
  options?: string[];
  min?: number;
  max?: number;
}
export type Answers = Record<string, string | string[] | number | boolean>;
export interface TaskQuestionnaire {
  campaignId: string;
  campaignName: string;
  version: number;
  questions: Question[];
}
export type RiskTier = 'high' | 'key' | 'general';
export interface CohortFilters {
  disabilityCategories?: number[];
  disabilityLevels?: number[];
  livingAlone?: boolean;
  ageMin?: number;
  ageMax?: number;
  riskTiers?: RiskTier[];
  hasSosDevice?: boolean;
  lastContactOlderThanDays?: number;
}
export type CampaignStatus = 'draft' | 'active' | 'paused' | 'ended';
export interface Campaign {
  id: string;
  name: string;
  districtCode: string;
  filters: CohortFilters;
  status: CampaignStatus;
  repeat: 'once' | 'weekly' | 'monthly';
  startDay: string;
  endDay: string;
  nextRunDay: string | null;
  questionnaireVersion: number;
  version: number;
  questions: Question[];
  tasks: { open: number; done: number; other: number };
}
export interface NewCampaign {
  name: string;
  districtCode: string;
  filters: CohortFilters;
  repeat: Campaign['repeat'];
  startDay: string;
  endDay: string;
  questions: Question[];
}
export interface HeatWarning {
  id: string;
  districtCode: string;
  note: string;
  day: string;
  tasks: number;
  raisedAt: string;
}

const id = (s: string) => encodeURIComponent(s);
export const campaignApi = {
  list: () => request<{ items: Campaign[]; total: number }>('GET', '/api/care/campaigns?limit=100'),
  create: (body: NewCampaign) => request<Campaign>('POST', '/api/care/campaigns', body),
  preview: (districtCode: string, filters: CohortFilters) => request<{ count: number; sample: Array<{ name: string; riskTier: string; districtCode: string }> }>('POST', '/api/care/campaigns/preview', { districtCode, filters }),
  update: (campaignId: string, body: { version: number; name?: string; filters?: CohortFilters; endDay?: string; questions?: Question[] }) => request<Campaign>('PATCH', `/api/care/campaigns/${id(campaignId)}`, body),
  act: (campaignId: string, action: 'launch' | 'pause' | 'resume') => request<Campaign>('POST', `/api/care/campaigns/${id(campaignId)}/${action}`, {}),
  heatWarnings: () => request<{ items: HeatWarning[] }>('GET', '/api/care/heat-warnings'),
  raiseHeat: (districtCode: string, note: string) => request<HeatWarning>('POST', '/api/care/heat-warnings', { districtCode, note }),
  taskQuestionnaire: (taskId: string) => request<{ questionnaire: TaskQuestionnaire | null }>('GET', `/api/care/task-questionnaires/${id(taskId)}`),
};
