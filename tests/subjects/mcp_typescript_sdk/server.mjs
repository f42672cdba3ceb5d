// Glue: an MCP server on the official TypeScript SDK (streamable HTTP on Express), each MCP
// endpoint behind the SDK's requireBearerAuth middleware, its protected resource metadata
// (RFC 9728) from mcpAuthMetadataRouter. The token verifier is the developer's: this one is
// written as the SDK's own example server (examples/server/simpleStreamableHttp) writes it
// (fetch to the introspection endpoint, any non-2xx thrown as an Error, `scope` split into the
// scopes, `exp` as the expiry, `active` never read), with what ZITADEL needs on top: Basic client
// authentication, its audience (the project id) and its project roles (its own claim, else the
// generic one) given as scopes.
import { randomUUID } from "node:crypto";
import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import { InvalidTokenError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthMetadataRouter,
} from "@modelcontextprotocol/sdk/server/auth/router.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";

const env = process.env;
const base = `http://127.0.0.1:${env.PORT}`;
const basic = Buffer.from(`${env.API_CLIENT_ID}:${env.API_CLIENT_SECRET}`).toString("base64");
const ROLES_CLAIM = "urn:zitadel:iam:org:project:roles";

const verifier = {
  verifyAccessToken: async (token) => {
    const response = await fetch(env.INTROSPECTION_ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${basic}` },
      body: new URLSearchParams({ token }).toString(),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => null);
      throw new Error(`Invalid or expired token: ${text}`);
    }
    const data = await response.json();
    if (![data.aud ?? []].flat().includes(env.PROJECT_ID)) {
      throw new InvalidTokenError("Token was not issued for this API");
    }
    const claim = data[`urn:zitadel:iam:org:project:${env.PROJECT_ID}:roles`] ?? data[ROLES_CLAIM];
    const roles = claim && typeof claim === "object" ? Object.keys(claim) : [];
    return {
      token,
      clientId: data.client_id,
      scopes: [...(data.scope ? data.scope.split(" ") : []), ...roles],
      expiresAt: data.exp,
    };
  },
};

function getServer() {
  const server = new McpServer({ name: "harness-subject", version: "1.0.0" });
  server.registerTool("hello", { description: "Says hello." }, async () => ({
    content: [{ type: "text", text: "hello" }],
  }));
  return server;
}

const sessions = new Map();

async function handle(req, res) {
  const sessionId = req.headers["mcp-session-id"];
  const known = sessionId ? sessions.get(sessionId) : undefined;
  if (known) {
    await known.handleRequest(req, res, req.body);
  } else if (!sessionId && isInitializeRequest(req.body)) {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => sessions.set(id, transport),
    });
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
    await getServer().connect(transport);
    await transport.handleRequest(req, res, req.body);
  } else if (sessionId) {
    res.status(404).json({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null });
  } else {
    res.status(400).json({ jsonrpc: "2.0", error: { code: -32000, message: "No valid session ID" }, id: null });
  }
}

// What mcpAuthMetadataRouter serves as the authorization server's metadata (RFC 8414 names).
const oauthMetadata = {
  issuer: env.ISSUER,
  authorization_endpoint: `${env.ISSUER}/oauth/v2/authorize`,
  token_endpoint: env.TOKEN_ENDPOINT,
  introspection_endpoint: env.INTROSPECTION_ENDPOINT,
  response_types_supported: ["code"],
};
const app = express();
app.use(express.json());
for (const [path, requiredScopes] of [["/mcp", []], ["/scoped/mcp", [env.ROLE]]]) {
  const resourceServerUrl = new URL(base + path);
  app.use(mcpAuthMetadataRouter({ oauthMetadata, resourceServerUrl, scopesSupported: requiredScopes }));
  const auth = requireBearerAuth({
    verifier,
    requiredScopes,
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(resourceServerUrl),
  });
  app.post(path, auth, handle);
  app.delete(path, auth, handle);
}
app.listen(Number(env.PORT), "127.0.0.1");
