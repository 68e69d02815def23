/* The formatter (rightdoor fmt). Its entry point, rd_fmt_text, is public: runtime/rightdoor.h. */
#ifndef RD_FMT_H
#define RD_FMT_H
#include "program.h"

/* The indentation step of the layout, in spaces. */
#define RD_FMT_INDENT 2

#endif
