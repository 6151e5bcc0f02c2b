// Apache Avro C baseline for the Avro writer's design. It writes N rows
// shaped like Sluice's generator (long, nullable boolean, double, two decimals
// as bytes, string, bytes, date, two timestamps) through Avro C's generic
// value API and file writer with the null codec, and prints the seconds spent.
// bench/avro_xlsx.sh does not run it; it backs the encoder choice in
// docs/avro.md.
//
// Build and run:
//   cc -O2 bench/avro_xlsx_avro_c.c -o /tmp/avro_c_bench $(pkg-config --cflags --libs avro-c)
//   /tmp/avro_c_bench 1000000 /tmp/avro_c.avro
#include <avro.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char* kSchema =
    "{\"type\":\"record\",\"name\":\"Row\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"long\"},"
    "{\"name\":\"flag\",\"type\":[\"null\",\"boolean\"]},"
    "{\"name\":\"amount\",\"type\":[\"null\",\"double\"]},"
    "{\"name\":\"price\",\"type\":[\"null\",\"bytes\"]},"
    "{\"name\":\"big\",\"type\":[\"null\",\"bytes\"]},"
    "{\"name\":\"name\",\"type\":[\"null\",\"string\"]},"
    "{\"name\":\"payload\",\"type\":[\"null\",\"bytes\"]},"
    "{\"name\":\"day\",\"type\":[\"null\",\"int\"]},"
    "{\"name\":\"local_time\",\"type\":[\"null\",\"long\"]},"
    "{\"name\":\"instant\",\"type\":[\"null\",\"long\"]}]}";

static void set_branch(avro_value_t* record, const char* field, int branch, avro_value_t* out) {
  avro_value_t union_value;
  avro_value_get_by_name(record, field, &union_value, NULL);
  avro_value_set_branch(&union_value, branch, out);
}

int main(int argc, char** argv) {
  long rows = argc > 1 ? atol(argv[1]) : 1000000;
  const char* path = argc > 2 ? argv[2] : "/tmp/avro_c.avro";
  avro_schema_t schema;
  if (avro_schema_from_json_length(kSchema, strlen(kSchema), &schema) != 0) {
    fprintf(stderr, "schema: %s\n", avro_strerror());
    return 1;
  }
  remove(path);
  avro_file_writer_t writer;
  if (avro_file_writer_create_with_codec(path, schema, &writer, "null", 64 * 1024) != 0) {
    fprintf(stderr, "writer: %s\n", avro_strerror());
    return 1;
  }
  avro_value_iface_t* iface = avro_generic_class_from_schema(schema);
  avro_value_t record;
  avro_generic_value_new(iface, &record);

  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  char name[32];
  unsigned char decimal[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  for (long i = 0; i < rows; ++i) {
    avro_value_t field, branch;
    avro_value_get_by_name(&record, "id", &field, NULL);
    avro_value_set_long(&field, i);
    set_branch(&record, "flag", 1, &branch);
    avro_value_set_boolean(&branch, i & 1);
    set_branch(&record, "amount", 1, &branch);
    avro_value_set_double(&branch, i * 0.25);
    set_branch(&record, "price", 1, &branch);
    avro_value_set_bytes(&branch, decimal, 6);
    set_branch(&record, "big", 1, &branch);
    avro_value_set_bytes(&branch, decimal, 16);
    snprintf(name, sizeof(name), "name-%ld", i);
    set_branch(&record, "name", 1, &branch);
    avro_value_set_string(&branch, name);
    set_branch(&record, "payload", 1, &branch);
    avro_value_set_bytes(&branch, decimal, 8);
    set_branch(&record, "day", 1, &branch);
    avro_value_set_int(&branch, (int32_t)(i % 50000));
    set_branch(&record, "local_time", 1, &branch);
    avro_value_set_long(&branch, i * 1000003);
    set_branch(&record, "instant", 1, &branch);
    avro_value_set_long(&branch, i * 1000033);
    if (avro_file_writer_append_value(writer, &record) != 0) {
      fprintf(stderr, "append: %s\n", avro_strerror());
      return 1;
    }
  }
  avro_file_writer_close(writer);
  clock_gettime(CLOCK_MONOTONIC, &end);
  printf("%ld rows in %.3f s\n", rows, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);

  avro_value_decref(&record);
  avro_value_iface_decref(iface);
  avro_schema_decref(schema);
  return 0;
}
