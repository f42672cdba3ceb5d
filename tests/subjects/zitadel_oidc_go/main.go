// Glue: a small API of the shape of ZITADEL's Go guide (/api/healthz, /api/tasks,
// /api/add-task with a role), checking tokens by introspection with the JWT profile through
// github.com/zitadel/oidc/v3's resource server (the library zitadel-go's middleware is built
// on). Failures are answered the way that middleware answers them: 401 for any failed
// authorization, 403 for a missing role, the error's text as a plain body.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/client/rs"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

const rolesClaim = "urn:zitadel:iam:org:project:roles"

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
		token, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !found || token == "" {
			http.Error(w, "unauthorized: no bearer token", http.StatusUnauthorized)
			return
		}
		resp, err := rs.Introspect[*oidc.IntrospectionResponse](r.Context(), server, token)
		if err != nil {
			http.Error(w, fmt.Sprintf("unauthorized: %v", err), http.StatusUnauthorized)
			return
		}
		if !resp.Active {
			http.Error(w, "unauthorized: token is not active", http.StatusUnauthorized)
			return
		}
		if role != "" && !hasRole(resp.Claims[rolesClaim], role) {
			http.Error(w, "permission denied: missing role "+role, http.StatusForbidden)
			return
		}
		next(w, r)
	})
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
