import { CreateCoreTables1764892800000 } from './1764892800000-CreateCoreTables';

/** Every migration, oldest first. A new migration is added here as well. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [CreateCoreTables1764892800000];
