// The query key of schedules, read again after each change the user makes.
export const scheduleKeys = { all: ['schedules'] as const };
