/**
 * Waits until `probe` returns a value other than undefined, checking again
 * whenever the previous check finishes. Tests wait for the state an event
 * produces (a row, a message), never for a fixed time.
 */ "use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "waitFor", {
    enumerable: true,
    get: function() {
        return waitFor;
    }
});
async function waitFor(probe, what, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for(;;){
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
        await new Promise((resolve)=>setTimeout(resolve, 50));
    }
}

//# sourceMappingURL=wait-for.js.map