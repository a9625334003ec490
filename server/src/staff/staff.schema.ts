import { z } from 'zod';
import { SOLE_ROLES, STAFF_ROLES, type StaffRole } from './staff-user.entity';

const noControl = /^[^\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]*$/u;

/** Skills: `sign_language`, `medical`, or a dialect as `dialect:<name>` (e.g. `dialect:四川话`). */
export const skillSchema = z.union([z.enum(['sign_language', 'medical']), z.string().regex(/^dialect:[\p{L}\p{M}]{1,20}$/u, '方言技能格式为 dialect:<方言名>')]);

/** Roles held: 1–4 distinct known roles (security_admin and auditor alone: checked by the service, with a reason). */
export const rolesSchema = z
  .array(z.enum(STAFF_ROLES, '未知角色'))
  .min(1, '至少选择一个角色')
  .max(4)
  .refine((roles) => new Set(roles).size === roles.length, '角色不能重复');

/**
 * Why a set of roles is refused by separation of duties, or null.
 * @example soleRoleProblem(['auditor', 'agent']) // 'sole-role'
 */
export function soleRoleProblem(roles: readonly StaffRole[]): 'sole-role' | null {
  return roles.length > 1 && roles.some((r) => SOLE_ROLES.includes(r)) ? 'sole-role' : null;
}

const displayName = z.string().trim().min(1, '请输入姓名').max(100).regex(noControl, '不能包含控制字符');
const districtCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '辖区代码为 6、9 或 12 位数字');
const sipExtension = z.string().regex(/^\d{3,8}$/, '分机号为 3–8 位数字').nullable();
const skills = z.array(skillSchema).max(20).refine((s) => new Set(s).size === s.length, '技能不能重复');

export const createStaffSchema = z
  .object({
    username: z.string().regex(/^[a-z][a-z0-9._-]{2,63}$/, '用户名为 3–64 位小写字母、数字、点、下划线或连字符，以字母开头'),
    displayName,
    roles: rolesSchema,
    districtCode,
    sipExtension: sipExtension.default(null),
    skills: skills.default([]),
  })
  .strict();
export type CreateStaffInput = z.infer<typeof createStaffSchema>;

export const updateStaffSchema = z
  .object({ displayName: displayName.optional(), roles: rolesSchema.optional(), districtCode: districtCode.optional(), sipExtension: sipExtension.optional(), skills: skills.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, '没有要修改的内容');
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

export const listStaffSchema = z
  .object({
    q: z.string().trim().max(64).regex(noControl, '不能包含控制字符').optional(),
    role: z.enum(STAFF_ROLES).optional(),
    active: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type ListStaffQuery = z.infer<typeof listStaffSchema>;

export const staffIdParam = z.object({ id: z.uuid('id 必须是 UUID') });
