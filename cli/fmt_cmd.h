/* `rightdoor fmt`: the canonical layout of .sop files. */
#ifndef RD_CLI_FMT_H
#define RD_CLI_FMT_H

/* argv: what follows `fmt` on the command line (options and files). Returns the exit status. */
int cmd_fmt(int argc, char **argv);

#endif
