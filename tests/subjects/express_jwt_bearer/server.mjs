// Glue: an Express API protected by express-oauth2-jwt-bearer (local validation of JWT access
// tokens against the issuer's JWKS), set up as its README shows; the scoped route checks
// ZITADEL's project-roles claim with the package's claimCheck.
import express from "express";
import { auth, claimCheck } from "express-oauth2-jwt-bearer";

const env = process.env;
const rolesClaim = "urn:zitadel:iam:org:project:roles";
// cooldownDuration: how long the package waits before it refetches the JWKS for an unknown kid.
const checkJwt = auth({
  issuerBaseURL: env.ISSUER,
  audience: env.AUDIENCE,
  cooldownDuration: Number(env.JWKS_COOLDOWN_MS ?? 30000),
});
const hasRole = claimCheck((claims) => Boolean(claims[rolesClaim]?.[env.ROLE]));

const app = express();
app.get("/api/public", (req, res) => res.json({ message: "public" }));
app.get("/api/private", checkJwt, (req, res) =>
  res.json({ message: "private", sub: req.auth.payload.sub }),
);
app.get("/api/private-scoped", checkJwt, hasRole, (req, res) =>
  res.json({ message: "private and scoped", sub: req.auth.payload.sub }),
);

app.listen(Number(env.PORT), "127.0.0.1", () => console.log(`listening on ${env.PORT}`));
