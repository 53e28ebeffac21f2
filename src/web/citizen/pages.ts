/**
 * Every portal page the budgets bench (bench/portal-budgets.bench.ts) and the browser
 * tests walk over: the path on the demo data, and whether it needs a login. Each portal
 * helper adds its own pages here (one line each).
 */
import { APPLY_BUDGET_PAGES } from './apply/budget-pages.ts';

export interface BudgetPage {
  /** Short name for the report. */
  name: string;
  /** Path on a fresh app with the demo data (MOTCUA_DEMO=1). */
  path: string;
  /** Log in as this demo account first (in the browser, before the measured load). */
  as?: string;
  /**
   * Makes the data the page shows (a dossier...) through the API and returns the path to
   * load instead of `path`; `token` gives a demo account's bearer token.
   */
  prepare?: (app: { url: string; token(account: string): Promise<string> }) => Promise<string>;
}

export const BUDGET_PAGES: BudgetPage[] = [
  { name: 'home', path: '/' },
  { name: 'search', path: '/thu-tuc?q=khai+sinh' },
  { name: 'search-filtered', path: '/thu-tuc?applicantType=citizen&onlineLevel=full' },
  { name: 'procedure', path: '/thu-tuc/1.001193' },
  { name: 'not-found', path: '/khong-co-trang-nay' },
  { name: 'home-en', path: '/?lang=en' },
  { name: 'procedure-logged-in', path: '/thu-tuc/1.001612', as: 'citizen1' },
  ...APPLY_BUDGET_PAGES,
];
