// Glue: zitadel/oidc's resource server (github.com/zitadel/oidc/v3/pkg/client/rs) used directly,
// at its newest version, in an API of the shape of ZITADEL's Go guide (/api/healthz, /api/tasks,
// /api/add-task with a role), introspecting with the JWT profile (the API app's key file). The
// glue answers as RFC 6750 §3 says (a Bearer challenge with the error code; 400 for a malformed
// header; 503 when introspection fails; 403 insufficient_scope for a missing role), so what is
// left to judge is what rs decides: how it calls the issuer and what it makes of the answer. The
// zitadel-go SDK, which builds on rs, is a subject of its own (tests/subjects/zitadel_go_sdk).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/client/rs"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

const rolesClaim = "urn:zitadel:iam:org:project:roles"

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
var b64token = regexp.MustCompile(`^[A-Za-z0-9._~+/-]+=*$`)

func main() {
	ctx := context.Background()
	server, err := rs.NewResourceServerFromKeyFile(ctx, os.Getenv("ISSUER"), os.Getenv("KEY_FILE"))
	if err != nil {
		log.Fatalf("resource server: %v", err)
	}
	role := os.Getenv("ROLE")
	mux := http.NewServeMux()
	mux.HandleFunc("/api/healthz", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]string{"status": "ok"})
	})
	mux.Handle("/api/tasks", authorized(server, "", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string][]string{"tasks": {"write the subject file"}})
	}))
	mux.Handle("/api/add-task", authorized(server, role, func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]string{"added": "a task"})
	}))
	addr := "127.0.0.1:" + os.Getenv("PORT")
	log.Printf("listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, mux))
}

func authorized(server rs.ResourceServer, role string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		switch {
		case r.Header.Get("Authorization") == "" || !strings.EqualFold(scheme, "Bearer"):
			refuse(w, http.StatusUnauthorized, "", "")
			return
		case !b64token.MatchString(token):
			refuse(w, http.StatusBadRequest, "invalid_request", "malformed Authorization header")
			return
		}
		resp, err := rs.Introspect[*oidc.IntrospectionResponse](r.Context(), server, token)
		if err != nil {
			log.Printf("introspection failed: %v", err)
			refuse(w, http.StatusServiceUnavailable, "temporarily_unavailable", "the issuer gave no answer")
			return
		}
		if !resp.Active {
			refuse(w, http.StatusUnauthorized, "invalid_token", "the token is not valid")
			return
		}
		if role != "" && !hasRole(resp.Claims[rolesClaim], role) {
			refuse(w, http.StatusForbidden, "insufficient_scope", "the token lacks the role")
			return
		}
		next(w, r)
	})
}

// refuse answers with a Bearer challenge (RFC 6750 §3) and the same error as JSON.
func refuse(w http.ResponseWriter, status int, code, description string) {
	challenge := "Bearer"
	if code != "" {
		challenge = fmt.Sprintf(`Bearer error="%s", error_description="%s"`, code, description)
	}
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": description})
}

func hasRole(claim any, role string) bool {
	roles, ok := claim.(map[string]any)
	if !ok {
		return false
	}
	_, found := roles[role]
	return found
}

func reply(w http.ResponseWriter, body any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}
