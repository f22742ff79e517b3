// Minimal Better Auth app exposing the @better-auth/scim plugin on loopback,
// with the in-memory database adapter and one static bearer credential.
// Usage: PORT=... SCIM_TOKEN=... node server.mjs   (base URL: http://127.0.0.1:PORT/api/auth/scim/v2)
import http from "node:http";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";
import { getAuthTables } from "@better-auth/core/db";
import { scim } from "@better-auth/scim";

const port = Number(process.env.PORT || 0);
const token = process.env.SCIM_TOKEN;
if (!token) { console.error("SCIM_TOKEN is required"); process.exit(2); }
const baseURL = `http://127.0.0.1:${port}`;

const plugins = [scim({
  connections: [{ id: "interop", credentials: [{ type: "bearer", id: "scimconform", token }] }],
})];
const options = {
  baseURL,
  secret: "interop-only-secret-interop-only-secret-0123456789",
  plugins,
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
};
// The memory adapter needs one array per model up front.
const db = {};
for (const table of Object.values(getAuthTables(options))) db[table.modelName] = [];
const auth = betterAuth({ ...options, database: memoryAdapter(db) });

const server = http.createServer(toNodeHandler(auth));
server.listen(port, "127.0.0.1", () => {
  console.log(`better-auth SCIM listening on ${baseURL}/api/auth/scim/v2`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));
