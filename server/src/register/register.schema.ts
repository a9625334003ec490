import { z } from 'zod';
import { IMPORT_MODES } from './register-import.entity';

/** `POST /api/register/imports?mode&fileName` (the body is the file). */
export const importQuerySchema = z
  .object({
    mode: z.enum(IMPORT_MODES).default('dry-run'),
    fileName: z.string().trim().min(1).max(200).regex(/^[^/\\]+$/, '文件名不能包含路径').default('register'),
  })
  .strict();

export const importIdSchema = z.object({ id: z.string().uuid('导入任务编号格式不正确') }).strict();

/** `GET /api/register/export.xlsx?district&purpose` */
export const exportQuerySchema = z
  .object({
    district: z.string().regex(/^\d{6,12}$/, '辖区代码为 6–12 位数字'),
    purpose: z.string().trim().min(2, '请填写导出用途').max(200),
  })
  .strict();

/** The upload's format, from its Content-Type. */
export const FORMAT_OF_TYPE: Record<string, 'csv' | 'xlsx'> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};
