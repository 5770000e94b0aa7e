// Provided by Debian's zlib1g-dev.
#include <zlib.h>
