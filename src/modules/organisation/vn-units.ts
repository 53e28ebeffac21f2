/**
 * The national list of administrative units after the 2025 reorganisation, shipped with
 * Motcua (data/vn-units-2026-07-25.json, from thanglequoc/vietnamese-provinces-database,
 * MIT: data/LICENSE-vn-units), read once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VnProvince } from './units.ts';

let cache: VnProvince[] | undefined;

export function loadVnUnits(): VnProvince[] {
  cache ??= JSON.parse(readFileSync(join(import.meta.dirname, 'data', 'vn-units-2026-07-25.json'), 'utf8')) as VnProvince[];
  return cache;
}

export function findVnProvince(code: string): VnProvince | undefined {
  return loadVnUnits().find((p) => p.code === code);
}
