// The password check at the start of `sluice resume` for an export
// encrypted into Sluice containers.
//
// A resume that continues a container checks the password against that
// container's header anyway. One that starts a part or the whole export
// again would not: with a mistyped password it would write a new container
// that the intended password no longer opens. So before anything is
// removed or written, the password is checked against any container header
// the export already wrote.
#pragma once

#include <set>
#include <string>

namespace sluice {

// Checks `password` against the first container header found: `upload_head`
// (the first bytes of a cloud upload, as its recorded state keeps them),
// else the start of one of `files`. Throws InvalidInput ("wrong password
// for ...") on a mismatch. Does nothing when no header was written yet.
void CheckRecordedPassword(const std::string& password, const std::string& upload_head,
                           const std::set<std::string>& files, const std::string& label);

}  // namespace sluice
