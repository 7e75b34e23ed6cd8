/*
 * An independent Modbus RTU server for the tests: libmodbus on one end of a socat pty pair.
 * usage: modbus_server PATH UNIT
 * Holding register i starts at i*10, input register i at i*100 (100 of each); anything beyond is
 * answered with ILLEGAL DATA ADDRESS by libmodbus itself. Requests for other units are ignored.
 */
#include <errno.h>
#include <modbus/modbus.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PATH UNIT\n", argv[0]);
        return 2;
    }
    modbus_t *ctx = modbus_new_rtu(argv[1], 115200, 'N', 8, 1);
    if (ctx == NULL || modbus_set_slave(ctx, atoi(argv[2])) != 0 || modbus_connect(ctx) != 0) {
        fprintf(stderr, "modbus server: cannot open %s: %s\n", argv[1], modbus_strerror(errno));
        return 1;
    }
    modbus_mapping_t *map = modbus_mapping_new(0, 0, 100, 100);
    for (int i = 0; i < 100; i++) {
        map->tab_registers[i] = (uint16_t)(i * 10);
        map->tab_input_registers[i] = (uint16_t)(i * 100);
    }
    printf("ready\n");
    fflush(stdout);
    uint8_t query[MODBUS_RTU_MAX_ADU_LENGTH];
    for (;;) {
        int rc = modbus_receive(ctx, query);
        if (rc > 0) {
            modbus_reply(ctx, query, rc, map);
        } else if (rc == -1 && errno != EMBBADCRC && errno != ETIMEDOUT && errno != EMBBADSLAVE) {
            if (errno == EIO || errno == EBADF) {
                break; /* the pty went away */
            }
        }
    }
    modbus_mapping_free(map);
    modbus_close(ctx);
    modbus_free(ctx);
    return 0;
}
