#!/usr/bin/env -S node --max-semi-space-size=1
// The `evs-mock` command: runs the built CLI (dist/cli.js, which explains the V8 flag).
// It is a source file, not a build output, because npm links a workspace's bin only when
// the file exists at install time: in a fresh clone `npm ci` runs before the first build.
import "../dist/cli.js";
