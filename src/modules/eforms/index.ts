export {
  createFormValidator,
  collectFileIds,
  ANNOTATION_KEYWORDS,
  type FormSchema,
  type FormValidator,
  type FormValidatorOptions,
  type ValidationResult,
  type FileReference,
} from './validator.ts';
export {
  checkPersonalId,
  parsePersonalId,
  checkTaxCode,
  taxCheckDigit,
  normalizePhone,
  parseDateVn,
  todayInVietnam,
  PERSONAL_ID_PROVINCE_CODES,
  VN_FORMATS,
  type VnFormat,
  type PersonalIdParts,
  type FormatReason,
} from './formats.ts';
export { labelAt } from './messages.ts';
export { resolveLocalRef, toFieldErrors } from './messages.ts';
