import { z } from 'zod';

/** `:code` of a stored district: 6 digits (城市, 区), 9 (街镇, stored by its meaningful digits) or 12 (村居). */
export const districtCodeParam = z.object({ code: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '辖区代码应为 6、9 或 12 位数字') });

/** `PUT /api/districts/:code` (the name is its one editable field). */
export const renameDistrictSchema = z
  .object({
    name: z.string().trim().min(1, '请填写名称').max(100, '名称最多 100 个字').regex(/^[^\p{Cc}\p{Cf}]*$/u, '名称不能包含控制字符'),
  })
  .strict();

/** `GET /api/districts`: retired districts are left out unless asked for (the admin tree shows them). */
export const districtListQuery = z.object({ includeRetired: z.enum(['true', 'false']).optional() }).strict();
