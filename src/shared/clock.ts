/** The time, as the composition root gives it: one clock for every service (tests freeze it). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
