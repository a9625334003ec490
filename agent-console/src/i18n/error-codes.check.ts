/**
 * Compile-time check: the console has a text for every error code the server can send
 * (`ERROR_CODES` in server/src/shared/app-error.ts). A code added on the server without a zh-CN text fails
 * `npm run typecheck` here, naming the code; `en` must have the same keys (the `Messages` type). The jest test
 * agent-console/test/error-codes.test.ts checks the same at run time, for both languages.
 */
import type { ErrorCode } from '../../../server/src/shared/app-error';
import type { zhCN } from './zh-CN';

type Missing = Exclude<ErrorCode, keyof typeof zhCN.errors.codes>;
type Unknown = Exclude<keyof typeof zhCN.errors.codes, ErrorCode>;

/** `true` only when no code is missing; otherwise the type names the missing codes. */
export const everyServerCodeTranslated: [Missing] extends [never] ? true : { missingTranslationFor: Missing } = true;
/** `true` only when no text is for a code the server does not have (a renamed or removed code). */
export const noStaleCodeTexts: [Unknown] extends [never] ? true : { noSuchServerCode: Unknown } = true;
