# A proxyless gRPC client on gRPC C-core (Debian's python3-grpcio), driven line by line from GrpcCoreXdsTest
# exactly as src/test/node/client.js is from GrpcJsXdsTest.
# Environment: GRPC_XDS_BOOTSTRAP_CONFIG (Meshplane's gRPC bootstrap).
# Argument: the target, e.g. xds:///user-service.mylearning.local
# Commands on stdin, one JSON object per line ("target" optional: another xds:/// target, on a channel of its own):
#   {"calls": 100, "metadata": {"x-user-segment": "premium"}, "deadlineMs": 5000, "target": "xds:///other.local"}
# answered on stdout with one JSON line: {"counts": {"v1": 90, "v2": 10}, "errors": {"DEADLINE_EXCEEDED": 1}, "ms": 123}
import json
import sys
import time

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def simple_service_messages():
    """grpc.testing.SimpleRequest and SimpleResponse (simpleservice.proto), built from their descriptor:
    Debian ships no protoc plugin of grpcio's version to generate them."""
    file = descriptor_pb2.FileDescriptorProto(name="simpleservice.proto", package="grpc.testing", syntax="proto3")
    for message, field in (("SimpleRequest", "requestMessage"), ("SimpleResponse", "responseMessage")):
        file.message_type.add(name=message).field.add(
            name=field, number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    factory = message_factory.MessageFactory(pool)
    return tuple(factory.GetPrototype(pool.FindMessageTypeByName("grpc.testing." + m))
                 for m in ("SimpleRequest", "SimpleResponse"))


def main():
    request_type, response_type = simple_service_messages()
    channels, stubs = [], {}

    def stub(target):
        if target not in stubs:
            channel = grpc.insecure_channel(target)
            channels.append(channel)
            stubs[target] = channel.unary_unary("/grpc.testing.SimpleService/UnaryRpc",
                                                request_serializer=request_type.SerializeToString,
                                                response_deserializer=response_type.FromString)
        return stubs[target]

    for line in sys.stdin:
        if line.strip() == "quit":
            break
        command = json.loads(line)
        unary = stub(command.get("target") or sys.argv[1])
        metadata = tuple((command.get("metadata") or {}).items())
        deadline = command.get("deadlineMs", 5000) / 1000
        started = time.monotonic()
        counts, errors = {}, {}
        for _ in range(command["calls"]):
            try:
                name = unary(request_type(requestMessage="hi"), metadata=metadata, timeout=deadline).responseMessage
                counts[name] = counts.get(name, 0) + 1
            except grpc.RpcError as error:
                code = error.code().name
                errors[code] = errors.get(code, 0) + 1
        sys.stdout.write(json.dumps({"counts": counts, "errors": errors,
                                     "ms": int((time.monotonic() - started) * 1000)}) + "\n")
        sys.stdout.flush()
    for channel in channels:
        channel.close()


if __name__ == "__main__":
    main()
