// The built-in test `clnrm self-test` runs: a busybox service, steps with expected exit codes and
// output (in the service and in a fresh container), and expectations over the RUNNER'S OWN spans in
// clnrm's shapes (clnrm.run → clnrm.service.start → clnrm.container.start, clnrm.run → clnrm.step:* →
// clnrm.container.exec with container.* events, clnrm.run → clnrm.cleanup → clnrm.container.stop), so a
// runner that stops tracing, orders steps wrongly or misreports exit codes fails it.
export const SELF_TEST_FILE = '<self-test>';

export const SELF_TEST_SOURCE = `# clnrm self-test: the runner checks its own trace.
[meta]
name = "clnrm_self_test"
version = "1.0"
description = "A busybox service, three steps, expectations over the runner's own spans"

[services.box]
image = "cleanroom/busybox:latest"
args = ["sh", "-c", "trap 'exit 0' TERM; echo ready; while true; do sleep 1; done"]
health_check = { cmd = ["sh", "-c", "test -d /proc/1"], interval = 1, retries = 10 }

[[scenario]]
name = "self_check"
timeout_ms = 30000

[[scenario.steps]]
name = "echo_in_service"
service = "box"
command = ["sh", "-c", "echo hello from $(hostname)"]
expected_output_regex = "^hello from box"

[[scenario.steps]]
name = "expected_exit_code"
service = "box"
command = ["sh", "-c", "exit 3"]
expected_exit_code = 3

[[scenario.steps]]
name = "fresh_container"
command = ["echo", "fresh"]
expected_output_regex = "^fresh"

[[expect.span]]
name = "clnrm.run"
kind = "internal"
attrs.all = { "result" = "pass", "component" = "runner" }

[[expect.span]]
name = "clnrm.step:echo_in_service"
parent = "clnrm.run"
kind = "internal"
attrs.all = { "exit.code" = 0, "result" = "pass", "step.index" = 0 }
events.any = ["container.exec"]

[[expect.span]]
name = "clnrm.container.exec"
parent = "clnrm.step:echo_in_service"

[[expect.span]]
name = "clnrm.step:expected_exit_code"
attrs.all = { "exit.code" = 3, "result" = "pass" }

[[expect.span]]
name = "clnrm.step:fresh_container"
parent = "clnrm.run"
events.all = ["container.start", "container.exec", "container.stop"]

[[expect.span]]
name = "clnrm.service.start"
parent = "clnrm.run"
attrs.all = { "service.name" = "box", "service.type" = "generic_container" }

[[expect.span]]
name = "clnrm.container.start"
parent = "clnrm.service.start"
attrs.all = { "container.image" = "cleanroom/busybox:latest" }

[[expect.span]]
name = "clnrm.cleanup"
parent = "clnrm.run"
attrs.all = { "cleanup.triggered" = "true", "cleanup.success" = "true" }
events.any = ["container.stop", "container.remove", "cleanup.complete"]

[expect.graph]
must_include = [
  ["clnrm.run", "clnrm.service.start"],
  ["clnrm.service.start", "clnrm.container.start"],
  ["clnrm.run", "clnrm.step:fresh_container"],
  ["clnrm.cleanup", "clnrm.container.stop"],
]
acyclic = true

[[expect.window]]
outer = "clnrm.run"
contains = ["clnrm.service.start", "clnrm.step:echo_in_service", "clnrm.step:fresh_container", "clnrm.cleanup"]

[expect.order]
must_precede = [
  ["clnrm.service.start", "clnrm.step:echo_in_service"],
  ["clnrm.step:echo_in_service", "clnrm.step:expected_exit_code"],
  ["clnrm.step:expected_exit_code", "clnrm.step:fresh_container"],
  ["clnrm.step:fresh_container", "clnrm.container.stop"],
]

[expect.counts]
errors_total = { eq = 0 }
by_name = { "clnrm.run" = { eq = 1 }, "clnrm.service.start" = { eq = 1 }, "clnrm.container.start" = { eq = 1 }, "clnrm.container.stop" = { eq = 1 }, "clnrm.step:*" = { eq = 3 } }
`;
