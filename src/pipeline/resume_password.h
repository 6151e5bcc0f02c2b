// The password check at the start of `sluice resume` for an export
// encrypted with a password: into Sluice containers, or into age files with
// an scrypt stanza.
//
// A resume that continues a container checks the password against that
// container's header anyway. One that starts a part or the whole export
// again would not: with a mistyped password it would write a new file that
// the intended password no longer opens. So before anything is removed or
// written, the password is checked against any header the export already
// wrote.
#pragma once

#include <set>
#include <string>

namespace sluice {

// Checks `password` against the first whole Sluice container or age header
// found: `upload_head` (the first bytes of a cloud upload, as its recorded
// state keeps them), else the start of one of `files`. For age, the
// password unwraps the file key of the scrypt stanza and that key must
// verify the header MAC. An age header with X25519 recipients needs no
// password and passes. Throws InvalidInput ("wrong password for LABEL") on
// a mismatch, and InvalidInput naming `label` for a header that is
// malformed or fails its MAC. Does nothing when no header was written yet.
void CheckRecordedPassword(const std::string& password, const std::string& upload_head,
                           const std::set<std::string>& files, const std::string& label);

}  // namespace sluice
