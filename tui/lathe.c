/*
 * lathe: the client of lathed. With arguments it is a command-line tool
 * (cli.c); the full-screen interface comes later. Here only the libraries
 * are set up around the command line.
 */
#include "config.h"

#include <stdio.h>

#include <curl/curl.h>
#include <sodium.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	int	rc;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		fprintf(stderr, "lathe: cannot initialise libcurl\n");
		return CLI_EXIT_ERROR;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "lathe: cannot initialise libsodium\n");
		curl_global_cleanup();
		return CLI_EXIT_ERROR;
	}
	rc = cli_main(argc, argv);
	curl_global_cleanup();
	return rc;
}
