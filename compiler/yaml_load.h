/* The YAML files a program names: the service directory (providers become actors) and translation
 * catalogues (texts attached to notices, facts, consents and choice options). */
#ifndef RD_YAML_LOAD_H
#define RD_YAML_LOAD_H
#include "program.h"

void rd_yaml_directory(rd_program *p, rd_decl *d);
void rd_yaml_translations(rd_program *p, rd_decl *d);

#endif
