// Provided by Debian's liblapacke-dev (lapacke.h also declares the Fortran entry points).
#include <lapacke.h>
