/**
 * Identity assurance (the `acr` of a login): the province sets the lowest level that may
 * submit a dossier (level 2 of the national electronic identity by default). Levels are
 * the provider's own `acr` values, ordered from lowest to highest by configuration.
 */
export interface AssurancePolicy {
  /** The provider's acr values, lowest first. */
  levels: readonly string[];
  /** The lowest of them that may submit. */
  submitMin: string;
}

/** True when `acr` is a known level at or above the minimum; an unknown or missing acr never is. */
export function meetsAssurance(acr: string | undefined, levels: readonly string[], min: string): boolean {
  if (acr === undefined) return false;
  const have = levels.indexOf(acr);
  const need = levels.indexOf(min);
  return have >= 0 && need >= 0 && have >= need;
}
