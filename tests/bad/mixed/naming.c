#include "naming.h"
int process_name(char *buf, size_t size) { return buf[size] }
