/**
 * The words the dispatch engine shares with the rest of Anxin, defined once as string-literal unions.
 * Service codes match `server/src/tickets/ticket.ts` (`SERVICE_TYPES`) plus `order_fulfilment` for product
 * orders; the engine does not import the server, so the list is repeated here.
 */

/** The eight 助 services and product-order fulfilment. */
export const SERVICE_CODES = [
  'help_walk', // 助行
  'medical_escort', // 助医
  'meals', // 助餐
  'family_visit', // 助亲
  'shopping', // 助购
  'urgent_help', // 助急
  'recreation', // 助乐
  'outing', // 助游
  'order_fulfilment', // 订单配送安装
] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** What a candidate can do. A typo in the catalogue would make everyone ineligible, so skills are a closed list. */
export const SKILLS = [
  'mobility_assist', // 陪同行走
  'wheelchair_transfer', // 轮椅转移
  'medical_escort', // 陪同就医
  'meal_delivery', // 送餐
  'cooking', // 做饭
  'companionship', // 陪伴
  'sign_language', // 手语
  'shopping', // 代购
  'emergency_response', // 应急处置
  'recreation', // 文娱活动
  'outing_escort', // 出游陪同
  'driving', // 驾驶
  'delivery', // 配送
  'installation', // 辅具安装
] as const;
export type Skill = (typeof SKILLS)[number];

export const CERTIFICATIONS = ['first_aid', 'nursing', 'driving_licence', 'food_handling', 'sign_language_interpreter'] as const;
export type CertificationKind = (typeof CERTIFICATIONS)[number];

export const CANDIDATE_KINDS = ['provider', 'volunteer'] as const;
/** A provider's field crew or a volunteer. */
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

export const GENDERS = ['female', 'male'] as const;
export type Gender = (typeof GENDERS)[number];
