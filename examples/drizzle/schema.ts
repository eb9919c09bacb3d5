/**
 * A small shop in Drizzle: customers, a catalogue, orders that keep a copy of who bought them
 * (the order history must not change when a customer edits their profile) and an append-only
 * audit trail. Written to show what `schemawise check examples/drizzle/schema.ts` reports.
 */
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").defaultRandom().primaryKey(),
    email: varchar("email", { length: 320 }).notNull().unique(),
    displayName: text("display_name").notNull(),
    status: text("status").notNull().default("active"),
    createdAt: timestamp("created_at").defaultNow().notNull(),
  },
  (t) => [
    check("customers_status_check", sql`${t.status} in ('active', 'suspended', 'closed')`),
    // Sign-in looks customers up by email.
    index("customers_email_idx").on(t.email),
  ],
);

export const products = pgTable(
  "products",
  {
    id: uuid("id").defaultRandom().primaryKey(),
    sku: varchar("sku", { length: 64 }).notNull(),
    title: text("title").notNull(),
    priceCents: integer("price_cents").notNull(),
    attributes: jsonb("attributes").notNull().default({}),
  },
  (t) => [uniqueIndex("products_sku_key").on(t.sku), check("products_price_positive", sql`${t.priceCents} >= 0`)],
);

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").defaultRandom().primaryKey(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    // Copies taken when the order is placed: the dashboard lists orders without a join.
    customerEmail: varchar("customer_email", { length: 320 }).notNull(),
    customerName: text("customer_name").notNull(),
    status: text("status").notNull().default("pending"),
    totalCents: integer("total_cents").notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [
    check("orders_status_check", sql`${t.status} in ('pending', 'paid', 'shipped', 'cancelled')`),
    check("orders_total_positive", sql`${t.totalCents} > 0`),
    // "My orders", newest first.
    index("orders_customer_placed_idx").on(t.customerId, t.placedAt.desc()),
    index("orders_open_idx").on(t.placedAt).where(sql`${t.status} <> 'cancelled'`),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: uuid("id").defaultRandom().primaryKey(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    quantity: integer("quantity").notNull(),
    unitPrice: numeric("unit_price", { precision: 12, scale: 2 }).notNull(),
  },
  (t) => [index("order_lines_order_idx").on(t.orderId), check("order_lines_quantity_positive", sql`${t.quantity} > 0`)],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").defaultRandom().primaryKey(),
    entityType: varchar("entity_type", { length: 50 }).notNull(),
    entityId: uuid("entity_id").notNull(),
    action: varchar("action", { length: 50 }).notNull(),
    payload: jsonb("payload").notNull(),
    actorId: uuid("actor_id").references(() => customers.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).defaultNow().notNull(),
  },
  (t) => [index("audit_events_entity_idx").on(t.entityType, t.entityId, t.recordedAt)],
);
