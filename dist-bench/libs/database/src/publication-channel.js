/** PostgreSQL NOTIFY channel on which the writer announces a date's new published run. */ "use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "PUBLICATION_CHANNEL", {
    enumerable: true,
    get: function() {
        return PUBLICATION_CHANNEL;
    }
});
const PUBLICATION_CHANNEL = 'adrec_publications';

//# sourceMappingURL=publication-channel.js.map