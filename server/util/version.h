#ifndef DESKD_VERSION
#define DESKD_VERSION	"0.1.0"
#endif
