import { qs, request, sendFile } from '../../api/http';
import type { District } from '../../api/wire';

/** A district as the admin tree shows it (retired ones included). */
export interface AdminDistrict extends District {
  retiredAt: string | null;
}

/** A line the server refused in a district CSV (`details.errors` of `district/import-invalid`). */
export interface DistrictRowError {
  line: number;
  code: string;
  districtCode?: string;
}

/** The district administration endpoints (admin). */
export const districtsApi = {
  tree: (includeRetired: boolean) => request<{ items: AdminDistrict[] }>('GET', `/api/districts${qs({ includeRetired: includeRetired ? 'true' : undefined })}`),
  importCsv: (file: File) => sendFile<{ created: number }>('/api/districts/import', file, 'text/csv'),
  rename: (code: string, name: string) => request<AdminDistrict>('PUT', `/api/districts/${encodeURIComponent(code)}`, { name }),
  retire: (code: string) => request<{ code: string; retired: number }>('POST', `/api/districts/${encodeURIComponent(code)}/retire`),
};
