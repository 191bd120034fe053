// The fields a service is deployed and revised with alike: what its replicas run, a
// command or a container image.
import { Form, Input } from 'antd';

/** The values of these fields, as both forms hold them. */
export interface ServiceFieldValues {
  command?: string;
  image?: string;
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
    </>
  );
}
