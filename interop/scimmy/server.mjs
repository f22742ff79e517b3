// Minimal SCIMMY + scimmy-routers service provider on loopback with an in-memory
// User and Group store and bearer token auth.
// Usage: PORT=... SCIM_TOKEN=... node server.mjs   (base URL: http://127.0.0.1:PORT/scim/v2)
import express from "express";
import crypto from "node:crypto";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const port = Number(process.env.PORT || 0);
const token = process.env.SCIM_TOKEN;
if (!token) { console.error("SCIM_TOKEN is required"); process.exit(2); }
const origin = `http://127.0.0.1:${port}`;

// scimmy-routers itself turns on patch, filter, sort and bulk (it serves /Bulk);
// this only sets the filter maxResults and leaves etag/changePassword off.
SCIMMY.Config.set({ filter: 200, etag: false, changePassword: false });

// In-memory stores: id -> plain JSON resource (without schemas, as SCIMMY re-adds them).
const stores = { User: new Map(), Group: new Map() };

function plain(instance) {
  return JSON.parse(JSON.stringify(instance));
}

// User.groups is derived from Group membership (RFC 7643 §4.1.2), never stored.
function withGroups(kind, record) {
  if (kind !== "User") return record;
  const groups = [];
  for (const g of stores.Group.values()) {
    if ((g.members ?? []).some((m) => m.value === record.id)) {
      groups.push({ value: g.id, display: g.displayName, $ref: `${origin}/scim/v2/Groups/${g.id}`, type: "direct" });
    }
  }
  const { groups: _ignored, ...rest } = record;
  return groups.length ? { ...rest, groups } : rest;
}

function declare(Resource, kind, uniqueAttr) {
  const store = stores[kind];
  Resource
    .ingress((resource, instance) => {
      const data = plain(instance);
      delete data.schemas;
      delete data.meta;
      delete data.id;
      if (kind === "User") delete data.groups; // readOnly, derived
      const key = String(data[uniqueAttr] ?? "").toLowerCase();
      for (const [id, other] of store) {
        if (id !== resource.id && String(other[uniqueAttr] ?? "").toLowerCase() === key) {
          throw new SCIMMY.Types.Error(409, "uniqueness", `${uniqueAttr} '${data[uniqueAttr]}' is already in use`);
        }
      }
      const now = new Date().toISOString();
      if (resource.id) {
        const existing = store.get(resource.id);
        if (!existing) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        const updated = { ...data, id: resource.id, meta: { resourceType: kind, created: existing.meta.created, lastModified: now } };
        store.set(resource.id, updated);
        return updated;
      }
      const id = crypto.randomUUID();
      const created = { ...data, id, meta: { resourceType: kind, created: now, lastModified: now } };
      store.set(id, created);
      return created;
    })
    .egress((resource) => {
      if (resource.id) {
        const found = store.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
        return withGroups(kind, found);
      }
      const all = [...store.values()].map((r) => withGroups(kind, r));
      return resource.filter ? resource.filter.match(all) : all;
    })
    .degress((resource) => {
      if (!store.delete(resource.id)) throw new SCIMMY.Types.Error(404, null, `Resource ${resource.id} not found`);
      if (kind === "User") {
        // Drop the deleted user from every group.
        for (const g of stores.Group.values()) {
          if (Array.isArray(g.members)) g.members = g.members.filter((m) => m.value !== resource.id);
        }
      }
    });
  SCIMMY.Resources.declare(Resource);
}

declare(SCIMMY.Resources.User, "User", "userName");
declare(SCIMMY.Resources.Group, "Group", "displayName");

const app = express();
app.use("/scim/v2", new SCIMMYRouters({
  type: "bearer",
  docUri: "https://example.invalid/scim-auth",
  handler: (req) => {
    const header = req.header("Authorization") ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    const a = Buffer.from(given), b = Buffer.from(token);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new Error("Authorization failed");
    return "scimconform";
  },
  baseUri: () => origin,
}));

const server = app.listen(port, "127.0.0.1", () => {
  console.log(`scimmy SCIM listening on ${origin}/scim/v2`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
