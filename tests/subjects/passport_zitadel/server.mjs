// Glue: an Express API protected by passport-zitadel's introspection strategy, as its README
// shows it. Basic or JWT profile, chosen by the environment; routes as in ZITADEL's examples.
import fs from "node:fs";
import express from "express";
import passport from "passport";
import { ZitadelIntrospectionStrategy } from "passport-zitadel";

const env = process.env;
const authorization =
  env.AUTH_TYPE === "jwt-profile"
    ? { type: "jwt-profile", profile: JSON.parse(fs.readFileSync(env.KEY_FILE, "utf8")) }
    : { type: "basic", clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET };

passport.use(new ZitadelIntrospectionStrategy({ authority: env.ISSUER, authorization }));

const app = express();
app.use(passport.initialize());
const protect = passport.authenticate("zitadel-introspection", { session: false });

app.get("/api/public", (req, res) => res.json({ message: "public" }));
app.get("/api/private", protect, (req, res) => res.json({ message: "private", sub: req.user.sub }));

app.listen(Number(env.PORT), "127.0.0.1", () => console.log(`listening on ${env.PORT}`));
