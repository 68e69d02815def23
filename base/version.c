/* The library's own version, which an app linked against another build than it was compiled with
 * may need to see, and its status codes in words. */
#include "rightdoor.h"

const char *rd_version(void) { return RD_VERSION_STRING; }

const char *rd_status_str(rd_status st)
{
    switch (st) {
    case RD_OK: return "ok";
    case RD_ERR_PROGRAM: return "errors in the program";
    case RD_ERR_IO: return "cannot read or write the file";
    case RD_ERR_NOMEM: return "out of memory";
    }
    return "unknown status";
}
