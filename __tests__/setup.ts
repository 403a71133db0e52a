// cdktf records a full stack trace for every token it creates, only to quote it in the error a token
// that fails to resolve throws. Inside jest a trace costs 0.1-0.4 ms instead of 0.02 (the frames are
// formatted through the worker's stack-trace hooks), and one build of the platform makes about 4,700
// of them: 2.0 of a 2.6 s build. The unit tier asserts what synth writes and the project's own
// messages, never cdktf's creation trace, so the trace is not recorded here. Only this small module
// of cdktf is loaded: suites that never build a stack do not pay for cdktf.
import * as trace from "cdktf/lib/tokens/private/stack-trace";

(trace as { captureStackTrace: (below?: unknown) => string[] }).captureStackTrace = () => [];
