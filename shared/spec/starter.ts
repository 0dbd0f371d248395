// The starter test `clnrm init` writes: valid as written, and a tour of the format — two services
// with a dependency, a scenario, and span, graph, count and status expectations.
export function starterTestFile(name: string): string {
  return `# ${name}: a starter Cleanroom test. Validate it with \`clnrm validate\`.
# Services start in dependency order; the scenario runs; then the spans the services
# emitted over OTLP are checked against the [expect] tables.

[meta]
name = "${name}"
version = "1.0"
description = "Starter test: an API in front of a database"

[otel]
exporter = "otlp"
protocol = "http/protobuf"

# Each service is a container; depends_on orders their start.
[service.db]
image = "postgres:16-alpine"
env = { POSTGRES_PASSWORD = "postgres" }
ports = [5432]
health_check = { cmd = ["pg_isready", "-U", "postgres"], interval = 2, retries = 15 }

[service.api]
image = "alpine:3.20"
env = { DATABASE_URL = "postgres://postgres:postgres@db:5432/postgres" }
ports = [8080]
depends_on = ["db"]

# A scenario runs a command in a service's container.
[[scenario]]
name = "health"
service = "api"
run = "wget -qO- http://localhost:8080/health"
timeout_ms = 30000

# Expectations about the spans the run produced.
[[expect.span]]
name = "GET /health"
kind = "server"
attrs.all = { "http.request.method" = "GET" }

[[expect.span]]
name = "db.query"
parent = "GET /health"
kind = "client"

[expect.graph]
must_include = [["GET /health", "db.query"]]
acyclic = true

[expect.counts]
spans_total = { gte = 2 }

[expect.status]
all = "OK"
`;
}
