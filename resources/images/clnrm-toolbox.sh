#!/bin/sh
# Entry point of cleanroom/clnrm: runs its command (a test file's `args`, e.g. `bash -lc 'echo ready'`),
# then keeps the container up until it is stopped, so scenarios can exec in it afterwards (clnrm's own
# backend keeps its containers up with `sleep 3600` for the same reason). A long-running command (e.g.
# `clnrm collect`) gets the stop signal. A command that fails ends the container with its exit code.
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit 0' TERM INT
wait "$child"
status=$?
[ "$status" = 0 ] || exit "$status"
while true; do
  sleep 1 &
  wait $!
done
