/** One folder per migration: migration.sql (Prisma, or drizzle-kit 1.x beside snapshot.json) or up.sql (Diesel). */
import { planDiesel } from "./diesel.js";
import { planDrizzleFolders } from "./drizzle.js";
import { exists, type Folder, type Plan } from "./folder.js";
import { planPrisma } from "./prisma.js";

export async function planMigrationDirs(f: Folder): Promise<Plan | null> {
  const withMigrationSql: string[] = [];
  const withUpSql: string[] = [];
  let withSnapshot = 0;
  for (const dir of f.dirs) {
    if (f.sqlSet.has(`${dir}/migration.sql`)) {
      withMigrationSql.push(dir);
      if (await exists(f.absOf(`${dir}/snapshot.json`))) withSnapshot++;
    }
    if (f.sqlSet.has(`${dir}/up.sql`)) withUpSql.push(dir);
  }
  if (withMigrationSql.length > 0 && withMigrationSql.length >= withUpSql.length) {
    const isPrisma = f.topFiles.has("migration_lock.toml") || withSnapshot === 0;
    return isPrisma ? planPrisma(f, withMigrationSql) : planDrizzleFolders(f, withMigrationSql);
  }
  if (withUpSql.length > 0) return planDiesel(f, withUpSql);
  return null;
}
