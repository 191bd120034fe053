// The fields a service is deployed and revised with alike: what its replicas run (a
// command or a container image) and whether an invocation may go to a second replica.
import { Form, Input, Switch } from 'antd';

/** The values of these fields, as both forms hold them. */
export interface ServiceFieldValues {
  command?: string;
  image?: string;
  invokeRetry: boolean;
}

export function ServiceFields() {
  return (
    <>
      <Form.Item
        name="command"
        label="Command"
        extra="One argument per line. The server listens on KILN_SERVICE_PORT."
      >
        <Input.TextArea rows={3} spellCheck={false} />
      </Form.Item>
      <Form.Item name="image" label="Image" extra="For a container runtime, instead of a command.">
        <Input spellCheck={false} />
      </Form.Item>
      <Form.Item
        name="invokeRetry"
        label="Retry a failed connection once on another replica"
        valuePropName="checked"
        // the cost of the retry is a request that may run twice; say so where it is chosen
        extra="When a replica broke the connection before answering. The request may then run twice, a POST included: turn it off for requests that must not repeat."
      >
        <Switch />
      </Form.Item>
    </>
  );
}
