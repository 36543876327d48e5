/*
 * 01-hello: the control. A program that does nothing wrong must run, print,
 * exit 0, and leave a record with no refusal, no limit and no other process.
 */
#include <stdio.h>

int main(void)
{
	printf("hello from the sandbox\n");
	return 0;
}
