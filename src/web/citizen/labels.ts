/** Words the portal shows for catalogue values, in both languages. */
import type { Text } from '../kit/i18n.ts';

export const LEVEL: Record<string, Text> = {
  province: { vi: 'Cấp tỉnh', en: 'Province' },
  commune: { vi: 'Cấp xã', en: 'Commune' },
  ministry: { vi: 'Cấp bộ', en: 'Ministry' },
  other: { vi: 'Cơ quan khác', en: 'Other body' },
};

export const ONLINE_LEVEL: Record<string, Text> = {
  full: { vi: 'Nộp trực tuyến toàn trình', en: 'Fully online' },
  partial: { vi: 'Trực tuyến một phần', en: 'Partly online' },
  none: { vi: 'Nộp trực tiếp', en: 'In person only' },
};

export const APPLICANT_TYPE: Record<string, Text> = {
  citizen: { vi: 'Công dân', en: 'Individuals' },
  business: { vi: 'Doanh nghiệp', en: 'Businesses' },
  organisation: { vi: 'Tổ chức', en: 'Organisations' },
};

export const FACET_TITLE: Record<string, Text> = {
  applicantType: { vi: 'Dành cho', en: 'For' },
  onlineLevel: { vi: 'Mức độ trực tuyến', en: 'Online level' },
  level: { vi: 'Cấp thực hiện', en: 'Level' },
  field: { vi: 'Lĩnh vực', en: 'Field' },
  agency: { vi: 'Cơ quan tiếp nhận', en: 'Receiving office' },
};

export function label(map: Record<string, Text>, value: string): Text {
  return map[value] ?? { vi: value, en: value };
}

export const workingDays = (n: number): Text => ({ vi: `${n} ngày làm việc`, en: `${n} working ${n === 1 ? 'day' : 'days'}` });
