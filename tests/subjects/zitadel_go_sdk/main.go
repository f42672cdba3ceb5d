// A small API protected by the official zitadel-go SDK (github.com/zitadel/zitadel-go/v3), as its
// example/api/http does it: authorization.New with the instance, a verifier, and the SDK's net/http
// middleware (RequireAuthorization, with authorization.WithRole on the scoped route). Everything
// that decides about a token is the SDK's; this file only picks the verifier and the routes.
//
// VERIFIER=introspection: oauth.DefaultAuthorization(KEY_FILE), RFC 7662 introspection
// authenticated with private_key_jwt (the API app's key file).
// VERIFIER=jwt: oauth.DefaultJWTAuthorization(AUDIENCE), local validation of JWT access tokens
// against the issuer's keys (discovery, then its JWKS).
//
// ISSUER is the issuer URL; its host and port become the SDK's domain and port, with
// zitadel.WithInsecure for an http:// issuer (the mock on loopback).
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/zitadel/zitadel-go/v3/pkg/authorization"
	"github.com/zitadel/zitadel-go/v3/pkg/authorization/oauth"
	"github.com/zitadel/zitadel-go/v3/pkg/http/middleware"
	"github.com/zitadel/zitadel-go/v3/pkg/zitadel"
)

func main() {
	ctx := context.Background()
	instance, err := instanceOf(os.Getenv("ISSUER"))
	if err != nil {
		fail("ISSUER", err)
	}
	verifier := oauth.DefaultAuthorization(os.Getenv("KEY_FILE"))
	if os.Getenv("VERIFIER") == "jwt" {
		verifier = oauth.DefaultJWTAuthorization(os.Getenv("AUDIENCE"))
	}
	authZ, err := authorization.New(ctx, instance, verifier)
	if err != nil {
		fail("zitadel sdk could not initialize", err)
	}
	mw := middleware.New(authZ)

	router := http.NewServeMux()
	router.HandleFunc("/api/healthz", func(w http.ResponseWriter, r *http.Request) {
		reply(w, "OK")
	})
	router.Handle("/api/tasks", mw.RequireAuthorization()(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			reply(w, map[string]any{"tasks": []string{}, "user": mw.Context(r.Context()).UserID()})
		})))
	router.Handle("/api/add-task", mw.RequireAuthorization(authorization.WithRole(os.Getenv("ROLE")))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reply(w, "task added")
		})))

	addr := net.JoinHostPort("127.0.0.1", os.Getenv("PORT"))
	slog.Info("server listening", "addr", addr)
	fail("server terminated", http.ListenAndServe(addr, router))
}

// instanceOf turns an issuer URL into the SDK's instance description (domain, port, TLS or not).
func instanceOf(issuer string) (*zitadel.Zitadel, error) {
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, err
	}
	host, port := u.Hostname(), u.Port()
	if u.Scheme == "http" {
		return zitadel.New(host, zitadel.WithInsecure(port)), nil
	}
	if port == "" {
		return zitadel.New(host), nil
	}
	number, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return nil, err
	}
	return zitadel.New(host, zitadel.WithPort(uint16(number))), nil
}

func reply(w http.ResponseWriter, body any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func fail(what string, err error) {
	slog.Error(what, "error", err)
	os.Exit(1)
}
