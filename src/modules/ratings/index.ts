/**
 * The applicant's rating of the service, once per returned dossier.
 * The module's one public face: other modules, the pages and the CLI import only this file.
 */
export { createRatingService, isRateable, parseRating, type Rating, type RatingService } from './store.ts';
