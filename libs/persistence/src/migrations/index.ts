import { CreateCoreTables1764892800000 } from './1764892800000-CreateCoreTables';
import { AddRemovalHold1764918000000 } from './1764918000000-AddRemovalHold';

/** Every migration, oldest first. A new migration is added here as well. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const MIGRATIONS: Function[] = [CreateCoreTables1764892800000, AddRemovalHold1764918000000];
