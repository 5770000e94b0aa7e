// Provided by Debian's libglpk-dev.
#include <glpk.h>
