#ifndef MULL_COPENBLAS_SHIM_H
#define MULL_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian's libopenblas-dev installs it as <cblas.h>), including
// openblas_set_num_threads and openblas_get_corename.
#include <cblas.h>
#endif
